"""Theme 1, Lead confidently with data: the page helpers, charts and exercises of modules
1.1 to 1.5 (questions, performance, targets and signal, evaluation, the weekly routine).
"""
