// Command handling for the pairing lifecycle: 探亲 reads the household's details in the clear, to compare
// the check-in with its registered location and to screen the public excerpt; every other command folds
// them sealed.
import { type CommandHandler, type CommandHandlerDeps, commandHandler } from '../handling/command-handler.js';
import type { RevealPurpose } from '../privacy/sealer.js';
import { type PairingCommand, pairingStreamIdOf } from './commands.js';
import { type PairingState, pairingDecider } from './decider.js';
import { type PairingEvent, pairingEventRegistry } from './events.js';

/** The one pairing command whose rules read the household's details. */
export const pairingRevealFor = (command: PairingCommand): RevealPurpose | undefined =>
  command.type === 'recordPairingVisit' && (command.data.checkIn !== undefined || command.data.excerpt !== undefined)
    ? {
        code: 'decide_rule',
        statement: '探亲: compare the check-in with the registered location, and screen the excerpt',
        actor: command.metadata.actor,
      }
    : undefined;

export const pairingCommandHandler = (
  deps: Omit<
    CommandHandlerDeps<PairingCommand, PairingEvent, PairingState>,
    'decider' | 'registry' | 'streamIdOf' | 'revealFor'
  >,
): CommandHandler<PairingCommand, PairingState> =>
  commandHandler({
    ...deps,
    decider: pairingDecider,
    registry: pairingEventRegistry,
    streamIdOf: pairingStreamIdOf,
    revealFor: pairingRevealFor,
  });
