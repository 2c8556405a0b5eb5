// htm bound to Preact: the GUI's templates are tagged literals, so there is no compile step.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
