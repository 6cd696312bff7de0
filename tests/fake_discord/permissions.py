"""Discord permission bits and the server-side resolution algorithm.

The fake computes permissions the way Discord does (base role permissions, then channel
overwrites for @everyone, roles, member) so that the ``permissions`` / ``app_permissions``
strings it puts in interactions and the 403s it returns from REST agree with each other.
A test that marks a channel "bot cannot send" therefore sees both a 403 on POST and a
consistent ``interaction.app_permissions`` in that channel.
"""

from __future__ import annotations

from collections.abc import Iterable

CREATE_INSTANT_INVITE = 1 << 0
KICK_MEMBERS = 1 << 1
BAN_MEMBERS = 1 << 2
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_THREADS = 1 << 34
CREATE_PUBLIC_THREADS = 1 << 35
CREATE_PRIVATE_THREADS = 1 << 36
SEND_MESSAGES_IN_THREADS = 1 << 38

ALL = (1 << 51) - 1

#: What @everyone gets in a freshly created server (close to Discord's default).
EVERYONE_DEFAULT = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | CREATE_PRIVATE_THREADS
    | SEND_MESSAGES_IN_THREADS
)

#: What a bot invited with a typical "send, embed, threads" invite link gets on its managed role.
BOT_ROLE_DEFAULT = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | ADD_REACTIONS
    | MANAGE_MESSAGES
    | MANAGE_THREADS
    | CREATE_PUBLIC_THREADS
    | SEND_MESSAGES_IN_THREADS
)


def base_permissions(*, is_owner: bool, everyone: int, role_perms: Iterable[int]) -> int:
    """Guild-level permissions: @everyone OR the member's roles; owner/admin get everything."""
    if is_owner:
        return ALL
    perms = everyone
    for p in role_perms:
        perms |= p
    if perms & ADMINISTRATOR:
        return ALL
    return perms


def apply_overwrites(
    base: int,
    *,
    everyone_ow: tuple[int, int] | None,
    role_ows: Iterable[tuple[int, int]],
    member_ow: tuple[int, int] | None,
) -> int:
    """Channel overwrites in Discord's order: @everyone, then all roles together, then member.

    Each overwrite is ``(allow, deny)``.
    """
    if base & ADMINISTRATOR or base == ALL:
        return ALL
    perms = base
    if everyone_ow is not None:
        allow, deny = everyone_ow
        perms = (perms & ~deny) | allow
    allow_acc = deny_acc = 0
    for allow, deny in role_ows:
        allow_acc |= allow
        deny_acc |= deny
    perms = (perms & ~deny_acc) | allow_acc
    if member_ow is not None:
        allow, deny = member_ow
        perms = (perms & ~deny) | allow
    # Without VIEW_CHANNEL nothing else in the channel is usable.
    if not perms & VIEW_CHANNEL:
        return 0
    return perms
