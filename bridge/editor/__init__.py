"""The game-thread side: the tick queue, jobs, execution, capture, interrupts and the job runner."""
