// A Direct Line object for Web Chat over the server's dev channel: fetch to post, server-sent events to receive.
// Web Chat only needs objects with subscribe(observer) -> { unsubscribe }, so a tiny subject replaces rxjs.
'use strict';

// With `replay`, a new subscriber first gets the latest value (like rxjs' BehaviorSubject).
function createSubject({ replay = false } = {}) {
  const observers = new Set();
  let last;
  return {
    next(value) { if (replay) last = { value }; for (const o of [...observers]) o.next && o.next(value); },
    observable(onFirstSubscribe) {
      return {
        subscribe(observerOrNext) {
          const observer = typeof observerOrNext === 'function' ? { next: observerOrNext } : observerOrNext;
          observers.add(observer);
          if (last) observer.next && observer.next(last.value);
          if (onFirstSubscribe && observers.size === 1) onFirstSubscribe();
          return { unsubscribe() { observers.delete(observer); } };
        },
      };
    },
  };
}

function single(promise) {
  return {
    subscribe(observerOrNext) {
      const observer = typeof observerOrNext === 'function' ? { next: observerOrNext } : observerOrNext;
      let active = true;
      promise.then(
        (value) => { if (active) { observer.next && observer.next(value); observer.complete && observer.complete(); } },
        (error) => { if (active) observer.error && observer.error(error); },
      );
      return { unsubscribe() { active = false; } };
    },
  };
}

async function createDevDirectLine() {
  const response = await fetch('/dev/conversations', { method: 'POST' });
  if (!response.ok) throw new Error(`the dev channel answered ${response.status}`);
  const { conversationId, userId } = await response.json();
  const base = `/dev/conversations/${encodeURIComponent(conversationId)}`;

  // Connection status as Web Chat numbers it: 0 uninitialized, 1 connecting, 2 online, 4 failed, 5 ended.
  const status = createSubject({ replay: true });
  status.next(0);
  const activities = createSubject();
  let events;

  // Connect when Web Chat starts listening, so no early activity (the welcome card) is missed.
  const connect = () => {
    if (events) return;
    status.next(1);
    events = new EventSource(`${base}/events`);
    events.onopen = () => status.next(2);
    events.onmessage = (event) => activities.next(JSON.parse(event.data));
    events.onerror = () => { if (events.readyState === EventSource.CLOSED) status.next(4); };
  };

  const directLine = {
    activity$: activities.observable(connect),
    connectionStatus$: status.observable(),
    postActivity(activity) {
      return single(fetch(`${base}/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      }).then(async (r) => {
        if (!r.ok) throw new Error(`posting failed: ${r.status}`);
        return (await r.json()).id;
      }));
    },
    end() {
      if (events) events.close();
      status.next(5);
    },
  };
  return { directLine, userID: userId };
}
