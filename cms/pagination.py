from django.core.paginator import Page, Paginator

PAGE_PARAM = "pagina"


def paginate(request, items, *, per_page: int = 12, param: str = PAGE_PARAM) -> Page:
    """One COUNT and one slice query, whatever the number of items."""
    return Paginator(items, per_page).get_page(request.GET.get(param))
