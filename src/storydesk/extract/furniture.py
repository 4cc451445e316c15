"""Is this line page furniture rather than article text?

Rules that hold across sites: furniture is short, has no sentence structure, and speaks to the
reader about the page (share, subscribe, comment, read more, feedback) instead of about the world.
Each rule names its reason so the cleaner can report what it dropped and why. No rule names a site,
an outlet or a sentence of any particular story.
"""

from __future__ import annotations

import re

# A line of more words than this is prose even when it mentions "subscribe" or "comment".
MAX_FURNITURE_WORDS = 22

_PROMPT_START = re.compile(
    r"^\W*(subscribe|sign ?up|sign in|log ?in|register|follow us|follow (him|her|them|@)|download (the|our)|"
    r"get (the|our) (app|newsletter)|join (us|our|the conversation|the discussion)|share (this|on|via|article)|"
    r"like us|click (here|to)|tap (here|to)|read more|see also|also read|read also|related( articles?| stories| coverage)?\b|"
    r"recommended|more (from|on|stories)|most (read|popular|viewed)|trending|advertisement|sponsored|"
    r"leave a (comment|reply)|post a comment|add (a )?comment|view comments|show comments|comments?\b|"
    r"your feedback|tell us what you think|email us|send us|contact us|have a (news )?tip|"
    r"print\b|back to top|skip to|you are here|home\s*[>›»/|]|photo:|image:|picture:|photograph:|"
    r"credit:|source:|copyright|©|all rights reserved|terms of (use|service)|privacy policy|cookie)",
    re.I,
)
_PROMPT_END = re.compile(
    r"\b(subscribe( to)?|sign up|newsletter|on (telegram|whatsapp|facebook|twitter|x|instagram|youtube|linkedin|"
    r"google news|flipboard)!?|our app|read more|comments?|click here|here\]\(#\)|email us at)\W*$",
    re.I,
)
# Photo credits: an agency name at the end of a very short line, in its own capitalisation.
_CREDIT_END = re.compile(r"\b(Getty Images|Reuters|AFP|AP|AP Photo|EPA|Shutterstock|Bloomberg|[Ff]ile [Pp]hoto)\W*$")
_CREDIT_HINT = re.compile(r"photo|image|picture|/|©|credit", re.I)
_IS_NOW_ON = re.compile(r"\bis now on (telegram|whatsapp|instagram|tiktok|threads|google news|flipboard)\b", re.I)
_IMAGE_FILE = re.compile(r"^[\w\s().,-]*\.(jpe?g|png|gif|webp|svg|bmp|tiff?|avif)\s*$", re.I)
_BREADCRUMB = re.compile(r"^\s*\w[\w &'-]{0,30}(\s*[>›»|/]\s*\w[\w &'-]{0,30}){1,6}\s*$")
_SHARE_ICONS = re.compile(r"^(\s*(facebook|twitter|x|whatsapp|email|e-mail|linkedin|reddit|pinterest|telegram|print|copy link)\s*[|·,]?)+\s*$", re.I)
_DISCLAIMER = re.compile(
    r"\b((views|opinions)( expressed)?( in this (article|piece|column))? (are|represent|reflect)( solely)? "
    r"(those|the (views|opinions)) of the (respective )?(author|writer|contributor)s?"
    r"|(represent|reflect|are)( solely| only)? the (personal )?(views|opinions) of the (respective )?(author|writer|contributor)s?)\b",
    re.I,
)
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def is_image_file_name(line: str) -> bool:
    """A bare image file name ("IMG_0031.jpg"): furniture wherever it stands, even in wrapped text."""
    s = line.strip()
    return bool(_IMAGE_FILE.match(s)) and len(s.split()) <= 4


def furniture_reason(line: str) -> str | None:
    """The reason a line is furniture, or None when it is article text."""
    s = line.strip()
    if not s:
        return None
    words = s.split()
    if is_image_file_name(s):
        return "image file name"
    if _DISCLAIMER.search(s):
        return "opinion disclaimer"
    if _IS_NOW_ON.search(s):
        return "app/social prompt"
    if len(words) > MAX_FURNITURE_WORDS:
        return None
    if _SHARE_ICONS.match(s):
        return "share buttons"
    if _BREADCRUMB.match(s) and not _TERMINAL.search(s) and not any(ch.isdigit() for ch in s):
        return "breadcrumb"
    ends_sentence = bool(_TERMINAL.search(s)) and not s.endswith("!")
    if _PROMPT_START.match(s) and (len(words) <= 8 or not ends_sentence):
        return "reader prompt"
    if _PROMPT_END.search(s) and not ends_sentence:
        return "reader prompt"
    if _CREDIT_END.search(s) and (len(words) <= 3 or (len(words) <= 8 and _CREDIT_HINT.search(s))):
        return "photo credit"
    return None


def is_disclaimer(line: str) -> bool:
    return bool(_DISCLAIMER.search(line))


def looks_like_headline(line: str) -> bool:
    """Short, no end punctuation, mostly capitalised or a phrase: a title or a related-article link."""
    s = line.strip()
    words = s.split()
    return 2 <= len(words) <= 20 and not _TERMINAL.search(s) and not s.endswith((",", ";", ":"))
