import { Activation } from './lib/nn/layers/activation';
import { Dense } from './lib/nn/layers/dense';
import { Sequential } from './lib/nn/layers/sequential';
import { bceWithLogits, mse } from './lib/nn/losses';
import { fitSync, predict } from './lib/nn/fit';
import { Rng } from './lib/nn/rng';
import { xorTruthTable, spiralData, circleData, sineData, shuffleRows } from './lib/nn/datasets';

function mlp(sizes: number[], act: 'tanh'|'relu', rng: Rng) {
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Dense({ inFeatures: sizes[i], outFeatures: sizes[i+1], init: act === 'relu' && i + 2 < sizes.length ? 'heUniform' : 'glorotUniform' }, rng));
    if (i + 2 < sizes.length) layers.push(new Activation({ fn: act }));
  }
  return new Sequential(layers);
}
function acc(logits: Float32Array, y: Float32Array) { let c=0; for (let i=0;i<y.length;i++) c += ((logits[i]>0?1:0)===y[i])?1:0; return c/y.length; }

for (const seed of [] as number[]) {
  const d = xorTruthTable();
  const m = mlp([2,4,1],'tanh',new Rng(seed));
  const t=performance.now();
  const h = fitSync(m, d, { loss: bceWithLogits, optimizer: {type:'adam', lr: 0.05}, epochs: 300, batchSize: 4, seed });
  console.log('xor', seed, acc(predict(m,d.x,d.xShape).data,d.y), h.loss.at(-1), (performance.now()-t).toFixed(0));
}
for (const seed of [1,2,3,4,5]) {
  const d = shuffleRows(spiralData(new Rng(seed), {samples: 400, noise: 0.1}), new Rng(seed+100));
  const m = mlp([2,32,32,1],'tanh',new Rng(seed));
  const t=performance.now();
  const h = fitSync(m, d, { loss: bceWithLogits, optimizer: {type:'adam', lr: 0.01}, epochs: 150, batchSize: 32, seed });
  console.log('spiral', seed, acc(predict(m,d.x,d.xShape).data,d.y), h.loss.at(-1), (performance.now()-t).toFixed(0));
}
for (const seed of [1,2,3,4,5,6]) {
  const r = new Rng(seed);
  const d = circleData(r, {samples: 400, noise: 0.05}); const test = circleData(r, {samples: 400, noise: 0.05});
  const m = mlp([2,8,1],'tanh',new Rng(seed));
  const t=performance.now();
  const h = fitSync(m, d, { loss: bceWithLogits, optimizer: {type:'adam', lr: 0.03}, epochs: 100, batchSize: 32, seed });
  console.log('circle', seed, acc(predict(m,d.x,d.xShape).data,d.y), acc(predict(m,test.x,test.xShape).data,test.y), (performance.now()-t).toFixed(0));
}
for (const seed of [1,2,3]) {
  const r = new Rng(seed);
  const d = sineData(r, {samples: 256}); const test = sineData(r, {samples: 256});
  const m = mlp([1,32,1],'tanh',new Rng(seed));
  const t=performance.now();
  const h = fitSync(m, d, { loss: mse, optimizer: {type:'adam', lr: 0.01}, epochs: 150, batchSize: 32, seed });
  const p = predict(m,test.x,test.xShape).data; let s=0; for (let i=0;i<p.length;i++) s+=(p[i]-test.y[i])**2;
  console.log('sine', seed, s/p.length, (performance.now()-t).toFixed(0));
}
