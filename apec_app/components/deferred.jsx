import { startTransition, useEffect, useRef, useState } from "react";

// The cards waiting to be built, in the order they were mounted. One is built at a time, in a transition, and
// the next only after it was committed, so the browser handles the user's input and paints between them.
const waiting = [];
let building = null;
let scheduled = false;

function schedule() {
  if (scheduled || building !== null) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    building = waiting.shift() ?? null;
    if (building !== null) startTransition(building);
  }, 0);
}

function finished(show) {
  if (building === show) {
    building = null;
    schedule();
  }
}

export function Deferred({ index, first = 2, label = "", children }) {
  const [ready, setReady] = useState(index < first);
  const show = useRef(() => setReady(true)).current;
  useEffect(() => {
    if (ready) return undefined;
    waiting.push(show);
    schedule();
    return () => {
      const at = waiting.indexOf(show);
      if (at >= 0) waiting.splice(at, 1);
      finished(show);
    };
  }, []);
  useEffect(() => {
    if (ready) finished(show);
  }, [ready]);
  if (ready) return children;
  return (
    <div className="deferred-card" aria-busy="true">
      {label}
    </div>
  );
}
