"""An example plugin, loaded only in tests, that implements every hook."""
