"""rj: the casebook for victim work and restorative justice."""

__version__ = "0.1.0"
