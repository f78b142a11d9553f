"""Staff pages for the patient articles (``article.publish``: clinic admins): the list with
publish and unpublish, the edit form with a preview, and a preview of a draft as the public
will see it. ``learn.services`` writes and audits every change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from needlerx.accounts.http import request_user
from needlerx.core.errors import ApplicationError
from needlerx.learn import selectors, services
from needlerx.learn.content import render_markdown
from needlerx.web.forms.articles import ArticleForm
from needlerx.web.forms.patients import add_application_error
from needlerx.web.pages.learn import article_context


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    articles = list(selectors.articles_for_staff(user=request_user(request)))
    return render(request, "learn/manage_list.html", {"articles": articles})


@login_required
def article_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = request_user(request)
    article = selectors.article_get_for_staff(user=user, slug=slug)
    posted = request.method == "POST"
    form = ArticleForm(request.POST if posted else None, initial=ArticleForm.initial_for(article))
    preview = None
    if posted and form.is_valid():
        if request.POST.get("action") == "preview":
            preview = mark_safe(render_markdown(form.cleaned_data["body"]))  # noqa: S308 - nh3
        else:
            try:
                services.article_edit(actor=user, article=article, changes=form.changes())
            except ApplicationError as error:
                add_application_error(form, error)
            else:
                messages.success(request, f"“{article.title}” is saved.")
                return redirect("articles:list")
    status = 400 if posted and form.errors else 200
    context = {"article": article, "form": form, "preview": preview}
    return render(request, "learn/manage_edit.html", context, status=status)


@login_required
def article_preview(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.article_get_for_staff(user=request_user(request), slug=slug)
    return render(request, "learn/article.html", article_context(request, article, draft=True))


@login_required
@require_POST
def article_publish(request: HttpRequest, slug: str) -> HttpResponse:
    user = request_user(request)
    article = selectors.article_get_for_staff(user=user, slug=slug)
    services.article_publish(actor=user, article=article)
    messages.success(request, f"“{article.title}” is now public at /learn/{article.slug}/.")
    return redirect("articles:list")


@login_required
@require_POST
def article_unpublish(request: HttpRequest, slug: str) -> HttpResponse:
    user = request_user(request)
    article = selectors.article_get_for_staff(user=user, slug=slug)
    services.article_unpublish(actor=user, article=article)
    messages.success(request, f"“{article.title}” is no longer public.")
    return redirect("articles:list")
