"""The portfolio as a PDF (fpdf2): user, XP and level, solved problems by difficulty, skills, projects."""

from __future__ import annotations

from typing import Callable, Optional

from fpdf import FPDF
from fpdf.fonts import TTFFont

from ..models import DIFFICULTIES
from ..timefmt import iso
from .fonts import FontFiles, find_unicode_font, latin1_glyph, printable
from .summary import Portfolio
from .tables import MetricValue, Project

FAMILY = "PortfolioSans"
GREY = (110, 110, 110)
BLACK = (0, 0, 0)
ACCENT = (32, 84, 160)


class PortfolioPdf(FPDF):
    """An A4 document whose text goes through `printable`, so no user text can fail to encode."""

    def __init__(self, owner: str, fonts: Optional[FontFiles]) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        if fonts is not None:
            self.add_font(FAMILY, "", str(fonts.regular))
            self.add_font(FAMILY, "B", str(fonts.bold))
            self.text_family = FAMILY
            covered = _codepoints(self.fonts[FAMILY.lower()]) & _codepoints(self.fonts[FAMILY.lower() + "B"])
            self.has_glyph: Callable[[str], bool] = lambda ch: ord(ch) in covered
        else:
            self.text_family = "helvetica"
            self.has_glyph = latin1_glyph
        self.portfolio_owner = owner
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)

    def text_of(self, text: str) -> str:
        return printable(text, self.has_glyph)

    def style(self, size: float, bold: bool = False, color: tuple[int, int, int] = BLACK) -> None:
        self.set_font(self.text_family, "B" if bold else "", size)
        self.set_text_color(*color)

    def para(self, text: str, size: float = 10, bold: bool = False, color: tuple[int, int, int] = BLACK,
             height: float = 5.2) -> None:
        self.style(size, bold, color)
        self.multi_cell(0, height, self.text_of(text), new_x="LMARGIN", new_y="NEXT")

    def heading(self, text: str) -> None:
        self.ln(4)
        self.para(text, size=14, bold=True, color=ACCENT, height=8)
        self.set_draw_color(*ACCENT)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-13)
        self.style(8, color=GREY)
        self.cell(0, 5, self.text_of(f"Portfolio of {self.portfolio_owner} · page {self.page_no()}/{{nb}}"), align="C")


def _codepoints(font: object) -> frozenset[int]:
    return frozenset(font.cmap) if isinstance(font, TTFFont) else frozenset()


def _metric(value: MetricValue) -> str:
    return str(value)


def _project(pdf: PortfolioPdf, project: Project) -> None:
    pdf.ln(2)
    pdf.para(project.project_name, size=12, bold=True, height=6)
    pdf.para(f"Added {iso(project.created_at)[:10]}", size=8, color=GREY, height=4.5)
    if project.description:
        pdf.para(project.description)
    if project.skills:
        pdf.para("Skills: " + ", ".join(project.skills), size=9.5)
    if project.metrics:
        pdf.para("Metrics: " + " · ".join(f"{name} {_metric(v)}" for name, v in project.metrics.items()), size=9.5)


def render_pdf(portfolio: Portfolio, fonts: Optional[FontFiles] = None, *, find_fonts: bool = True) -> bytes:
    """The PDF's bytes; `fonts` None with `find_fonts` looks for DejaVu, and without one uses Latin-1 Helvetica."""
    if fonts is None and find_fonts:
        fonts = find_unicode_font()
    pdf = PortfolioPdf(portfolio.username, fonts)
    pdf.set_title(pdf.text_of(f"Portfolio of {portfolio.username}"))
    pdf.set_author(pdf.text_of(portfolio.username))
    pdf.set_creator("Unreal Python bridge practice platform")
    pdf.set_creation_date(portfolio.made_at)
    pdf.add_page()
    pdf.para("Portfolio", size=22, bold=True, height=11)
    pdf.para(portfolio.username, size=16, bold=True, color=ACCENT, height=9)
    pdf.para(f"Level {portfolio.level} · {portfolio.xp_total} XP", size=12, height=7)
    pdf.para(f"Made {iso(portfolio.made_at)[:10]}", size=8, color=GREY, height=4.5)

    pdf.heading(f"Solved problems: {portfolio.solved.total}")
    counts = portfolio.solved.counts
    for difficulty in DIFFICULTIES:
        titles = portfolio.solved.titles.get(difficulty, [])
        line = f"{difficulty.capitalize()}: {counts.get(difficulty, 0)}"
        pdf.para(line + (f" ({', '.join(titles)})" if titles else ""))

    if portfolio.skills:
        pdf.heading("Skills")
        pdf.para(", ".join(portfolio.skills))

    pdf.heading(f"Projects: {len(portfolio.projects)}")
    if not portfolio.projects:
        pdf.para("No projects yet.", color=GREY)
    for project in portfolio.projects:
        _project(pdf, project)
    return bytes(pdf.output())
