import { Circuit, LONGEST_RETRY_SECONDS, retryDelaySeconds } from './webhook-circuit';

describe('a webhook endpoint’s circuit', () => {
  it('opens at the configured consecutive failures, not before, and a success in between starts over', () => {
    const circuit = new Circuit(3);
    expect([circuit.record(false), circuit.record(false), circuit.record(true)]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect([circuit.record(false), circuit.record(false), circuit.record(false)]).toEqual([
      undefined,
      undefined,
      'opened',
    ]);
    expect(circuit.state).toBe('open');
    // More failures (late answers of sends already in flight, failed probes) keep it open, without a change.
    expect(circuit.record(false)).toBeUndefined();
    expect(circuit.state).toBe('open');
  });

  it('closes on the first success while open (the probe, or a late answer)', () => {
    const circuit = new Circuit(1);
    expect(circuit.record(false)).toBe('opened');
    expect(circuit.record(true)).toBe('closed');
    expect([circuit.state, circuit.consecutiveFailures]).toEqual(['closed', 0]);
  });

  it('takes the state PostgreSQL holds', () => {
    const circuit = new Circuit(5);
    circuit.adopt('open', 7);
    expect(circuit.record(true)).toBe('closed');
  });

  it('waits 2 s, 4 s, 8 s… up to 15 minutes between tries of one delivery, ±10 %', () => {
    expect(retryDelaySeconds(1, () => 0.5)).toBe(2);
    expect(retryDelaySeconds(2, () => 0.5)).toBe(4);
    expect(retryDelaySeconds(4, () => 0.5)).toBe(16);
    expect(retryDelaySeconds(30, () => 0.5)).toBe(LONGEST_RETRY_SECONDS);
    expect(retryDelaySeconds(1, () => 0)).toBeCloseTo(1.8);
    expect(retryDelaySeconds(1, () => 0.999999)).toBeCloseTo(2.2);
  });
});
