"""The staff form for editing an article: sources one a line as ``citation | address``."""

from __future__ import annotations

from typing import Any

from django import forms

from needlerx.learn.models import Article


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(max_length=400, widget=forms.Textarea(attrs={"rows": 3}))
    author = forms.CharField(max_length=200)
    clinical_reviewer = forms.CharField(max_length=200, label="Clinical reviewer")
    reviewed_on = forms.DateField(
        label="Reviewed on", widget=forms.DateInput(attrs={"type": "date"})
    )
    next_review_due = forms.DateField(
        label="Next review due", widget=forms.DateInput(attrs={"type": "date"})
    )
    tags = forms.CharField(help_text="Separate tags with commas, e.g. neck-pain, self-care.")
    sources = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One source a line: the citation, a vertical bar |, then its web address.",
    )
    body = forms.CharField(
        label="Article text (Markdown)", widget=forms.Textarea(attrs={"rows": 24}), strip=False
    )

    @staticmethod
    def initial_for(article: Article) -> dict[str, Any]:
        return {
            "title": article.title,
            "summary": article.summary,
            "author": article.author,
            "clinical_reviewer": article.clinical_reviewer,
            "reviewed_on": article.reviewed_on,
            "next_review_due": article.next_review_due,
            "tags": ", ".join(article.tags),
            "sources": "\n".join(f"{s['citation']} | {s['url']}" for s in article.sources),
            "body": article.body,
        }

    def changes(self) -> dict[str, Any]:
        """The cleaned values in the shape ``learn.services.article_edit`` takes."""
        data = dict(self.cleaned_data)
        data["tags"] = [tag.strip() for tag in data["tags"].split(",") if tag.strip()]
        sources = []
        for line in data["sources"].splitlines():
            if line.strip():
                citation, _, url = line.rpartition("|") if "|" in line else (line, "", "")
                sources.append({"citation": citation.strip(), "url": url.strip()})
        data["sources"] = sources
        return data
