"""A clinic's outcomes across its episodes of care (the clinic dashboard and its API)."""
