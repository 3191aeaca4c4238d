from data_pipeline.cli import main

raise SystemExit(main())
