// Loads a .heapsnapshot with Chrome DevTools' own heap snapshot worker code
// (the code behind the Memory tab) and prints, as JSON, what DevTools makes
// of it: statistics, the summary's classes, and each node's dominator,
// retained size and distance. TestDevToolsAgrees compares that with
// heapviz's analyses. Bundle it with setup.sh.

// DevTools targets a newer runtime than some Node versions provide.
if (!(Promise as any).withResolvers) {
  (Promise as any).withResolvers = function() {
    let resolve, reject;
    const promise = new Promise((a, b) => {
      resolve = a;
      reject = b;
    });
    return {promise, resolve, reject};
  };
}

import {HeapSnapshotLoader} from 'devtools-frontend/entrypoints/heap_snapshot_worker/HeapSnapshotLoader.js';
import {SecondaryInitManager} from 'devtools-frontend/entrypoints/heap_snapshot_worker/HeapSnapshot.js';
import * as HeapSnapshotModel from 'devtools-frontend/models/heap_snapshot/HeapSnapshotModel.js';
import * as fs from 'node:fs';

async function main() {
  const text = fs.readFileSync(process.argv[2], 'utf8');
  const loader = new HeapSnapshotLoader({sendEvent() {}} as any);
  // DevTools receives the file in chunks; so does this.
  for (let i = 0; i < text.length; i += 65536) {
    loader.write(text.slice(i, i + 65536));
  }
  loader.close();
  const ch = new MessageChannel();
  new SecondaryInitManager(ch.port2 as any);
  const snap: any = await loader.buildSnapshot(ch.port1 as any);
  const nf = snap.nodeFieldCount;
  const out: any = {stats: snap.getStatistics(), classes: {}, nodes: {}};
  const agg = snap.aggregatesWithFilter(new HeapSnapshotModel.NodeFilter());
  for (const k in agg) {
    out.classes[agg[k].name] = {count: agg[k].count, self: agg[k].self};
  }
  for (let o = 0; o < snap.nodeCount; o++) {
    const id = snap.nodes.getValue(o * nf + snap.nodeIdOffset);
    const dom = snap.dominatorsTree[o];
    out.nodes[id] = {
      retained: snap.retainedSizes[o],
      dominator: snap.nodes.getValue(dom * nf + snap.nodeIdOffset),
      distance: snap.nodeDistances[o],
    };
  }
  process.stdout.write(JSON.stringify(out));
  ch.port1.close();
  ch.port2.close();
}

main().catch(e => {
  console.error('DevTools could not load the snapshot:', e);
  process.exit(1);
});
