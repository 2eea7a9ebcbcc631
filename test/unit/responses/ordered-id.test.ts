import { describe, it, expect } from 'vitest';
import { orderedId } from '../../../shared/channels/repos/messages-repo';

describe('message ids', () => {
  it('are UUIDs that sort in creation order, also within one millisecond and when the clock steps back', () => {
    const ids = [orderedId(1_700_000_000_000), orderedId(1_700_000_000_000), orderedId(1_700_000_000_000), orderedId(1_699_999_999_999), orderedId(1_700_000_000_500)];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
