"""How the process behaves, whatever it computes: Mesa imported only when a
model is built (``lazy``), SIGTERM and SIGHUP handled like Ctrl-C
(``interrupts``), text from files made safe for the terminal
(``terminal``), and one BLAS thread per process for the command
(``threads``). These modules import nothing else of the package, so any
layer may use them (docs/architecture.md, "Layout rules").
"""
