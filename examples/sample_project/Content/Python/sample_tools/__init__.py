"""Editor tools of the sample project: naming rules and a level report (run them in the editor or headless)."""
