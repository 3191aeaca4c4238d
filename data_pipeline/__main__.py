from data_pipeline.cli import run

run()
