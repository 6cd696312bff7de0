"""What counts as one word in the index: a canonical spelling and a stem.

The store spells every paragraph this way when it indexes it; search spells queries and question
analysis counts words the same way, so all three agree on what a term is. It sits below the
store and every feature, which is why it is a package of its own and not part of search.
"""

from bot.terms.stems import index_term, porter
from bot.terms.variants import SPELLING_RULES_VERSION, TOKEN, canonical, canonical_text

__all__ = ["SPELLING_RULES_VERSION", "TOKEN", "canonical", "canonical_text", "index_term", "porter"]
