"""How the process behaves, whatever it computes: Mesa imported only when a
model is built (``lazy``), SIGTERM and SIGHUP handled like Ctrl-C
(``interrupts``), and text from files made safe for the terminal
(``terminal``). These modules import nothing else of the package, so any
layer may use them (docs/architecture.md, "Layout rules").
"""
