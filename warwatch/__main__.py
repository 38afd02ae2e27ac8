from warwatch.cli import app

app()
