// The live event stream of one test run (WS /ws/testruns/{id}/stream). The server numbers a run's events from 1
// (seq); a connection opened with since=<seq> gets every event after that one. So the client asks for since=0
// first (the whole history, for charts from the first second), remembers the last seq it delivered, and after
// any close that is not the normal end (1000 once the run is over) reconnects with since=<last seq>. Events at or
// below the last seq are dropped (a duplicate can only be a replay), and an event past the next seq means a gap,
// which is repaired the same way: reconnect from the last seq. The caller sees every event once, in order.
import { signal } from '@preact/signals';
import { openSocket } from './api.js';

export const FINAL_STATES = new Set(['passed', 'failed', 'error', 'cancelled', 'interrupted']);

const MIN_DELAY_MS = 250;
const MAX_DELAY_MS = 10_000;

/**
 * Opens the stream of a run. handlers: onState(run, message) for the first message of every connection,
 * onEvent(event) for each event, once, in seq order; onEnd() when the run is over and every event was delivered.
 * Answers {status, attempts, lastSeq, delivered, dropped, stop()}: status and the counters are signals
 * ('connecting' | 'live' | 'reconnecting' | 'done' | 'stopped').
 */
export function openRunStream(id, handlers) {
  const status = signal('connecting');
  const attempts = signal(0);
  const lastSeq = signal(0);
  const delivered = signal(0);
  const dropped = signal(0);
  let socket = null;
  let timer = null;
  let stopped = false;
  let sawSummary = false;
  let finishedAtJoin = false;
  let joinedSeq = 0;

  function connect() {
    timer = null;
    status.value = attempts.peek() ? 'reconnecting' : 'connecting';
    const ws = openSocket(`/ws/testruns/${encodeURIComponent(id)}/stream`, { since: lastSeq.peek() });
    socket = ws;
    ws.onmessage = (m) => receive(ws, m.data);
    ws.onclose = (e) => closed(ws, e);
  }

  function receive(ws, text) {
    let msg;
    try { msg = JSON.parse(text); } catch { return; }
    if (msg.type === 'state') {
      joinedSeq = msg.seq;
      finishedAtJoin = FINAL_STATES.has(msg.run?.status);
      attempts.value = 0;
      status.value = 'live';
      handlers.onState?.(msg.run, msg);
      return;
    }
    const seq = msg.seq;
    const last = lastSeq.peek();
    if (!(seq > last)) { dropped.value++; return; }
    if (seq !== last + 1) {
      // a hole: ask again from what we have rather than deliver out of order
      ws.close(4000, 'gap after ' + last);
      return;
    }
    lastSeq.value = seq;
    delivered.value++;
    if (msg.type === 'summary') sawSummary = true;
    handlers.onEvent?.(msg);
  }

  function closed(ws, e) {
    if (ws !== socket || stopped) return;
    socket = null;
    const complete = sawSummary || (finishedAtJoin && lastSeq.peek() >= joinedSeq);
    if (e.code === 1000 && complete) {
      status.value = 'done';
      handlers.onEnd?.();
      return;
    }
    const n = attempts.peek();
    attempts.value = n + 1;
    status.value = 'reconnecting';
    // a policy close (too slow a reader) may come back at once; anything else backs off, with jitter so that
    // many pages do not return in step after a server restart
    const delay = e.code === 1008 ? 0 : Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** n) * (0.75 + Math.random() / 2);
    timer = setTimeout(connect, delay);
  }

  connect();
  return {
    status, attempts, lastSeq, delivered, dropped,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (socket && socket.readyState <= 1) socket.close(1000, 'page closed');
      socket = null;
      if (status.peek() !== 'done') status.value = 'stopped';
    },
  };
}
