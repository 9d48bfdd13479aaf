"""Small pieces of wording shared by the command line, the reports and the window."""


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """ "1 prospect", "3 prospects"; ``plural`` for words that do not just take an s."""
    if number == 1:
        return f"{number} {noun}"
    return f"{number} {plural if plural is not None else noun + 's'}"
