from django import template

register = template.Library()


@register.filter
def in_section(path: str, prefix: str) -> bool:
    """True when `path` is the page `prefix` or below it ("/" only matches itself)."""
    if prefix == "/":
        return path == "/"
    return path.startswith(prefix)
