"""costshare: who pays what in China's old-community renovation, exact to the fen."""

from costshare import rules
from costshare.errors import InputError
from costshare.money import allocate, format_amount, to_fen, to_yuan

__all__ = ["InputError", "allocate", "format_amount", "rules", "to_fen", "to_yuan"]
__version__ = "0.1.0"
