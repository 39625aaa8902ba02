"""Speed and memory of the course's NumPy code against PyTorch on the CPU.

``make bench`` (``python -m benchmarks.run``) times every pair interleaved, with one thread and
as a user runs it (a fresh process, default threads), and writes ``benchmarks/RESULTS.md``. The modules:

* :mod:`benchmarks.harness`: interleaved timing (A B A B ...), medians and ratios;
* :mod:`benchmarks.workloads`: the pairs (a NumPy training step and its PyTorch twin,
  a whole training run and its PyTorch twin, one optimizer step and its ``torch.optim`` twin);
* :mod:`benchmarks.threads`: our workloads with the default threads against one thread,
  in a process started with no thread limits (``tests/test_threads.py`` asserts on it);
* :mod:`benchmarks.memory`: peak RSS and traced allocations over 100 optimizer steps,
  measured in a fresh process per optimizer and size;
* :mod:`benchmarks.course`: wall time of executing each book chapter (nbval) and of
  autograding one submission of each assignment (nbgrader);
* :mod:`benchmarks.report`: the machine, the versions and the tables of ``RESULTS.md``;
* :mod:`benchmarks.run`: the command line.

``benchmarks/gpu_bench.py`` is a separate script for ``dldemos.torch`` on a CUDA GPU.
"""
