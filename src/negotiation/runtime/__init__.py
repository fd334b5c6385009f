"""How the process behaves, whatever it computes: Mesa imported only when a
model is built (``lazy``), SIGTERM and SIGHUP handled like Ctrl-C
(``interrupts``), text from files made safe for the terminal
(``terminal``), and for the command its environment defaults (one BLAS
thread per process, no pydantic plugins: ``environment``) and the garbage
collector paused while it starts and skipped at its end (``collector``). These modules import nothing else of the package, so any
layer may use them (docs/architecture.md, "Layout rules").
"""
