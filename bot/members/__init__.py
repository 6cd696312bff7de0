"""Members' own reading: reminders at their own hour (opt-in), a catch-up at their own pace,
streaks with grace. Plain functions taking `now`; the store keeps the record, the adapter sends.

The modules: `reminders` (who is due a reminder, and what it says), `cards` (what members are
told), `commands` (the /remind handlers and the organisers' member options).
"""
