import { AppError } from '../../lib/errors.ts';

/** The wording is part of the contract (issue 6): clients show it as is. */
export const noCredits = () => new AppError('NO_CREDITS', 'No credits available', 402);

export const creditsBusy = (waitedMs: number) =>
  new AppError(
    'CREDITS_BUSY',
    `The credits left are held by AI replies still in progress (waited ${Math.round(waitedMs / 1000)} s). ` +
      'Try again in a few seconds; if this persists, add credits.',
    503,
  );
