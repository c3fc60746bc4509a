"""The page where a user picks the pages' language (web.md, "The pages' language").

She changes her own setting only: the form has no user field, the view writes the
signed-in user's membership, and Django's CSRF check guards the POST.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from auditor.service.languages import PAGE_LANGUAGES
from auditor.service.views import member_required, redirect_see_other


class LanguageForm(forms.Form):
    """Her language, or none (her browser's, else her office's)."""

    language = forms.ChoiceField(
        label=_("Language of the pages"),
        required=False,
        choices=[("", _("My browser's language, else my office's")), *PAGE_LANGUAGES],
        widget=forms.RadioSelect,
    )


@require_http_methods(["GET", "POST"])
@member_required
def language(request: HttpRequest) -> HttpResponse:
    membership = request.user.membership
    form = LanguageForm(request.POST or None, initial={"language": membership.language})
    if request.method == "POST":
        if form.is_valid():
            membership.language = form.cleaned_data["language"]
            membership.save(update_fields=["language"])
            return redirect_see_other("/language?saved=1")
        return render(request, "service/language.html", {"form": form}, status=400)
    saved = request.GET.get("saved") == "1"
    context = {"form": form, "saved": saved, "current": translation.get_language()}
    return render(request, "service/language.html", context)
