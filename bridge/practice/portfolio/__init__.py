"""The portfolio (seed 002): projects, the portfolio with its aggregates, and its PDF. No HTTP here."""

from __future__ import annotations

from .models import ExportRequest, ProjectRequest
from .pdf import render_pdf
from .projects import add_project, delete_project
from .summary import Portfolio, load_portfolio, portfolio_json
from .tables import Project

__all__ = ["ExportRequest", "Portfolio", "Project", "ProjectRequest", "add_project", "delete_project",
           "load_portfolio", "portfolio_json", "render_pdf"]
