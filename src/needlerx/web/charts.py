"""The SVG line charts moved to ``needlerx.core.charts`` so the pages and the PDF documents
(``needlerx.documents``, below the web layer) draw the same picture; kept for existing imports."""

from __future__ import annotations

from needlerx.core.charts import Band, Point, line_chart

__all__ = ["Band", "Point", "line_chart"]
