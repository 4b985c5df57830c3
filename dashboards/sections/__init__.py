"""The team dashboard's sections, one module each: its figures, the tables that show
them and the lists behind them. `dashboards.team` puts them together."""
