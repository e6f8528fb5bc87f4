"""The two baselines of the benchmark, mounted only by bench.settings, never by the portal."""
