"""Hyperparameter sweeps: config validation, the controller that schedules agents' runs, and
the gRPC service the front calls. Importing this package stays cheap: the search engine
(numpy, scipy, scikit-learn) loads on first use."""
