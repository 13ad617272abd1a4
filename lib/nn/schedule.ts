// Learning-rate schedules as JSON configs: step decay, cosine annealing and a linear warm-up that runs before any
// other schedule. lrAt(schedule, baseLr, t) gives the learning rate at step t (t counts epochs or batches, the
// caller's choice; t = 0 is the first).

export type LrSchedule =
  /** The base learning rate throughout. */
  | { type: 'constant' }
  /** torch.optim.lr_scheduler.StepLR: baseLr · gamma^⌊t / stepSize⌋ (gamma default 0.1). */
  | { type: 'step'; stepSize: number; gamma?: number }
  /**
   * torch CosineAnnealingLR closed form: minLr + (baseLr − minLr)·(1 + cos(π·t / tMax)) / 2 for t ≤ tMax, then
   * minLr (minLr default 0).
   */
  | { type: 'cosine'; tMax: number; minLr?: number }
  /**
   * Linear warm-up from startFactor·baseLr (default 0.1) to baseLr over warmupSteps, then `after` (default constant)
   * with its clock starting at 0 when warm-up ends.
   */
  | { type: 'warmup'; warmupSteps: number; startFactor?: number; after?: LrSchedule };

export function lrAt(schedule: LrSchedule, baseLr: number, t: number): number {
  if (!(t >= 0)) throw new Error(`lrAt: step must be ≥ 0, got ${t}`);
  switch (schedule.type) {
    case 'constant':
      return baseLr;
    case 'step': {
      if (!(schedule.stepSize >= 1)) throw new Error(`step schedule: stepSize must be ≥ 1, got ${schedule.stepSize}`);
      return baseLr * (schedule.gamma ?? 0.1) ** Math.floor(t / schedule.stepSize);
    }
    case 'cosine': {
      if (!(schedule.tMax > 0)) throw new Error(`cosine schedule: tMax must be > 0, got ${schedule.tMax}`);
      const minLr = schedule.minLr ?? 0;
      if (t >= schedule.tMax) return minLr;
      return minLr + ((baseLr - minLr) * (1 + Math.cos((Math.PI * t) / schedule.tMax))) / 2;
    }
    case 'warmup': {
      const w = schedule.warmupSteps;
      if (!(w >= 0)) throw new Error(`warmup schedule: warmupSteps must be ≥ 0, got ${w}`);
      if (t < w) {
        const start = schedule.startFactor ?? 0.1;
        return baseLr * (start + ((1 - start) * t) / w);
      }
      return lrAt(schedule.after ?? { type: 'constant' }, baseLr, t - w);
    }
    default:
      throw new Error(
        `unknown LR schedule type '${(schedule as { type: unknown }).type}' (expected constant, step, cosine, warmup)`,
      );
  }
}
