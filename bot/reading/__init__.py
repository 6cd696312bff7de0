"""Reading plans: when a group's passages are posted, exactly once, and how far everyone has read.

The modules: `schedule` (local post times, zones, weekdays: pure time arithmetic), `plans` (the
organiser's verbs on a plan), `posting` (which posts are due, claiming and completing them, what
a post holds), `progress` (the group's and a member's reading).
"""
