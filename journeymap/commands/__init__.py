"""One module per command (or a small group of them); `journeymap.cli` registers them."""
