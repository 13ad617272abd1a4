// Model persistence: a JSON manifest (architecture spec, caller's config and preprocessing, seed, metrics, versions,
// tensor index, SHA-256 of the weights) plus the weights as little-endian float32 bytes, and a one-file container
// holding both. Loading rebuilds the module from its spec and refuses corrupt, truncated or mismatched files with
// an error naming what is wrong (which tensor, expected vs got).

import { sha256Hex } from './checksum';
import { buildModule } from './layers/registry';
import type { Module, ModuleSpec } from './module';
import type { Rng } from './rng';
import { shapeSize, shapeStr } from './tensor';

/** Version of the engine writing the file (recorded for support; loading does not depend on it). */
export const ENGINE_VERSION = '0.1.0';
/** Version of the manifest layout; loadModel reads versions up to this one. */
export const MODEL_FORMAT_VERSION = 1;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface TensorIndexEntry {
  /** Path from Module.namedState, e.g. "0.weight". */
  name: string;
  shape: number[];
  /** Byte offset into the weights. */
  offset: number;
  /** Number of float32 elements. */
  length: number;
}

export interface ModelManifest {
  format: 'neuralfin-model';
  formatVersion: number;
  engineVersion: string;
  architecture: ModuleSpec;
  /** The caller's model / training config (opaque to the engine). */
  config: JsonValue;
  /** The caller's preprocessing hooks, e.g. fitted scaler parameters and feature order (opaque to the engine). */
  preprocessing: JsonValue;
  seed: number | null;
  metrics: Record<string, number | null>;
  tensors: TensorIndexEntry[];
  weightsByteLength: number;
  checksum: { algorithm: 'sha256'; value: string };
}

export interface ModelMeta {
  config?: JsonValue;
  preprocessing?: JsonValue;
  seed?: number | null;
  /** Non-finite values are stored as null (JSON has no NaN). */
  metrics?: Record<string, number | null>;
}

export interface SavedModel {
  manifest: ModelManifest;
  /** Little-endian float32 values of every tensor, in the manifest's index order. */
  weights: Uint8Array;
}

const LITTLE_ENDIAN = new Uint8Array(Float32Array.of(1).buffer)[3] === 0x3f;

/** Serialises the model's parameters and buffers with its architecture and the caller's metadata. */
export function saveModel(model: Module, meta: ModelMeta = {}): SavedModel {
  const state = model.namedState();
  const tensors: TensorIndexEntry[] = [];
  let offset = 0;
  for (const [name, t] of state) {
    tensors.push({ name, shape: t.shape.slice(), offset, length: t.size });
    offset += t.size * 4;
  }
  const weights = new Uint8Array(offset);
  const view = new DataView(weights.buffer);
  state.forEach(([, t], i) => {
    const base = tensors[i].offset;
    if (LITTLE_ENDIAN) weights.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), base);
    else for (let j = 0; j < t.size; j++) view.setFloat32(base + j * 4, t.data[j], true);
  });
  const metrics: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(meta.metrics ?? {})) metrics[k] = v !== null && Number.isFinite(v) ? v : null;
  const manifest: ModelManifest = {
    format: 'neuralfin-model',
    formatVersion: MODEL_FORMAT_VERSION,
    engineVersion: ENGINE_VERSION,
    architecture: model.spec(),
    config: meta.config ?? null,
    preprocessing: meta.preprocessing ?? null,
    seed: meta.seed ?? null,
    metrics,
    tensors,
    weightsByteLength: weights.length,
    checksum: { algorithm: 'sha256', value: sha256Hex(weights) },
  };
  assertJsonSafe(manifest, 'manifest');
  return { manifest, weights };
}

/**
 * Rebuilds the model from manifest.architecture (via the layer registry, drawing any initial weights from rng, then
 * overwriting them) and loads the weights. The model is returned in eval mode. Throws if the file is corrupt,
 * truncated, or does not match the architecture.
 */
export function loadModel(manifest: ModelManifest, weights: Uint8Array, rng: Rng): Module {
  checkManifest(manifest);
  if (weights.length !== manifest.weightsByteLength) {
    throw new Error(
      weights.length < manifest.weightsByteLength
        ? `model weights are truncated: expected ${manifest.weightsByteLength} bytes, got ${weights.length}`
        : `model weights are too long: expected ${manifest.weightsByteLength} bytes, got ${weights.length}`,
    );
  }
  const digest = sha256Hex(weights);
  if (digest !== manifest.checksum.value) {
    throw new Error(
      `model weights are corrupt: SHA-256 checksum mismatch (expected ${manifest.checksum.value}, got ${digest})`,
    );
  }
  let expectedOffset = 0;
  for (const e of manifest.tensors) {
    if (e.length !== shapeSize(e.shape)) {
      throw new Error(`tensor '${e.name}': index length ${e.length} does not match its shape ${shapeStr(e.shape)}`);
    }
    if (e.offset !== expectedOffset) {
      throw new Error(`tensor '${e.name}': index offset ${e.offset}, expected ${expectedOffset}`);
    }
    expectedOffset += e.length * 4;
  }
  if (expectedOffset !== manifest.weightsByteLength) {
    throw new Error(
      `tensor index covers ${expectedOffset} bytes but the manifest declares ${manifest.weightsByteLength} bytes of weights`,
    );
  }

  const model = buildModule(manifest.architecture, rng);
  const state = model.namedState();
  const byName = new Map(manifest.tensors.map((e) => [e.name, e]));
  for (const [name] of state) {
    if (!byName.has(name))
      throw new Error(`tensor '${name}': the architecture needs it but the file does not contain it`);
  }
  const modelNames = new Set(state.map(([name]) => name));
  for (const e of manifest.tensors) {
    if (!modelNames.has(e.name)) throw new Error(`tensor '${e.name}': in the file but not part of the architecture`);
  }
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  for (const [name, t] of state) {
    const e = byName.get(name)!;
    if (e.shape.length !== t.shape.length || e.shape.some((d, i) => d !== t.shape[i])) {
      throw new Error(
        `tensor '${name}': architecture expects shape ${shapeStr(t.shape)}, file has ${shapeStr(e.shape)}`,
      );
    }
    const d = t.data;
    const at = weights.byteOffset + e.offset;
    if (LITTLE_ENDIAN && at % 4 === 0) d.set(new Float32Array(weights.buffer, at, e.length));
    else for (let j = 0; j < d.length; j++) d[j] = view.getFloat32(e.offset + j * 4, true);
  }
  return model.eval();
}

function checkManifest(m: ModelManifest): void {
  if (m === null || typeof m !== 'object') throw new Error('model manifest must be an object');
  if (m.format !== 'neuralfin-model') {
    throw new Error(
      `not a NeuralFin model manifest (format is ${JSON.stringify(m.format)}, expected "neuralfin-model")`,
    );
  }
  if (!Number.isInteger(m.formatVersion) || m.formatVersion < 1 || m.formatVersion > MODEL_FORMAT_VERSION) {
    throw new Error(
      `model format version ${m.formatVersion} is not supported (this engine reads 1 to ${MODEL_FORMAT_VERSION})`,
    );
  }
  if (!m.architecture || typeof m.architecture.type !== 'string')
    throw new Error('model manifest has no architecture spec');
  if (!Array.isArray(m.tensors)) throw new Error('model manifest has no tensor index');
  if (!Number.isInteger(m.weightsByteLength) || m.weightsByteLength < 0) {
    throw new Error(`model manifest weightsByteLength must be a non-negative integer, got ${m.weightsByteLength}`);
  }
  if (m.checksum?.algorithm !== 'sha256' || typeof m.checksum.value !== 'string') {
    throw new Error(`model manifest checksum must be sha256, got ${JSON.stringify(m.checksum?.algorithm)}`);
  }
  for (const e of m.tensors) {
    if (
      typeof e?.name !== 'string' ||
      !Array.isArray(e.shape) ||
      !Number.isInteger(e.offset) ||
      !Number.isInteger(e.length)
    ) {
      throw new Error(`model manifest tensor index entry ${JSON.stringify(e)} needs name, shape, offset and length`);
    }
  }
}

/** Throws naming the path of the first value JSON cannot represent exactly (undefined, NaN, functions, ...). */
function assertJsonSafe(v: unknown, path: string): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`saveModel: ${path} is ${v}, which JSON cannot store`);
    return;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) assertJsonSafe(v[i], `${path}[${i}]`);
    return;
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v)) {
      if (x !== undefined) assertJsonSafe(x, `${path}.${k}`);
    }
    return;
  }
  throw new Error(
    `saveModel: ${path} is a ${typeof v === 'object' ? v.constructor.name : typeof v}, which JSON cannot store`,
  );
}

// One-file container: magic "NFMODEL\0" (8 bytes) | container version u32 LE | manifest length L u32 LE |
// manifest UTF-8 JSON (L bytes) | zero padding to a multiple of 4 | weights.
const MAGIC = [0x4e, 0x46, 0x4d, 0x4f, 0x44, 0x45, 0x4c, 0x00];
const CONTAINER_VERSION = 1;
const HEADER_BYTES = 16;

/** Packs a saved model into one byte array (e.g. a .nfmodel file or a database blob). */
export function packModelFile(saved: SavedModel): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(saved.manifest));
  const weightsAt = align4(HEADER_BYTES + json.length);
  const out = new Uint8Array(weightsAt + saved.weights.length);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, CONTAINER_VERSION, true);
  view.setUint32(12, json.length, true);
  out.set(json, HEADER_BYTES);
  out.set(saved.weights, weightsAt);
  return out;
}

/** Splits a packed model file into manifest and weights (the weights are a view into `file`). */
export function unpackModelFile(file: Uint8Array): SavedModel {
  if (file.length < HEADER_BYTES) {
    throw new Error(`model file is truncated: ${file.length} bytes, shorter than the ${HEADER_BYTES}-byte header`);
  }
  for (let i = 0; i < MAGIC.length; i++) {
    if (file[i] !== MAGIC[i]) throw new Error('not a NeuralFin model file (bad magic bytes)');
  }
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CONTAINER_VERSION) {
    throw new Error(`model file container version ${version} is not supported (expected ${CONTAINER_VERSION})`);
  }
  const jsonLength = view.getUint32(12, true);
  if (HEADER_BYTES + jsonLength > file.length) {
    throw new Error(
      `model file is truncated: manifest needs ${jsonLength} bytes, only ${file.length - HEADER_BYTES} remain`,
    );
  }
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(file.subarray(HEADER_BYTES, HEADER_BYTES + jsonLength)),
    );
  } catch (err) {
    throw new Error(`model file manifest is not valid JSON: ${(err as Error).message}`);
  }
  const weightsAt = align4(HEADER_BYTES + jsonLength);
  return { manifest, weights: file.subarray(Math.min(weightsAt, file.length)) };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
