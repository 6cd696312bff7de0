"""Discussion questions for a passage: curated ones first, then a language model's if the host
configured one, else templates from prompts/questions.toml filled from the passage's analysis.

Public API: `generate_questions` and `Question`. The modules: `generate` (choosing and filling
templates), `analysis/` (what a passage is about: terms, names, claims, contrasts, connections),
`llm` (the optional model).
"""

from bot.questions.generate import Question, generate_questions, load_templates

__all__ = ["Question", "generate_questions", "load_templates"]
