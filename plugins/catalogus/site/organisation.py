"""(being built)"""


def sections(organisation, actor):
    return None
