// The console says a role refusal in words (renderer/src/components/ui.tsx refusalWords); other
// refusals (four-eyes) keep the API's sentence.
import { describe, expect, it } from 'vitest';
import { refusalWords } from '../../../renderer/src/components/ui';

describe('refusalWords', () => {
  it('turns the API role rule into a sentence naming who may do it', () => {
    expect(refusalWords('cases.approve needs the approver role (ana is analyst)'))
      .toBe('Only an approver may do this (cases.approve); you are signed in as ana, an analyst. Ask an approver to do it.');
    expect(refusalWords('users.add needs the admin role (vera is viewer)'))
      .toBe('Only an admin may do this (users.add); you are signed in as vera, a viewer. Ask an admin to do it.');
  });
  it('leaves other messages alone', () => {
    expect(refusalWords('four-eyes: staff:apo prepared or verified case PD-1; executing the deletion plan needs a second approver')).toBeNull();
  });
});
