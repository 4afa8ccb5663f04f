"""(being written)"""

CORE_QUEUES: list = []
