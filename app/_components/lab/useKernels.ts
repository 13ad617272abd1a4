'use client';

// The Lab trains in the browser on the engine's WebAssembly SIMD kernels when the browser validates the module (every
// current engine does), else on the TypeScript reference. Compiled once per page load, asynchronously (browsers refuse
// synchronous compilation of large modules on the main thread); the single-threaded build, since shared memory needs
// cross-origin isolation.

import { useEffect, useState } from 'react';
import { setBackend } from '@/lib/nn/kernels';
import { loadWasmBackend, wasmSimdSupported } from '@/lib/nn/kernels/wasm/backend';

export type KernelsInUse = 'loading' | 'wasm-simd' | 'typescript';

let loading: Promise<KernelsInUse> | null = null;

function installKernels(): Promise<KernelsInUse> {
  loading ??= (async () => {
    if (!wasmSimdSupported()) return 'typescript';
    try {
      setBackend(await loadWasmBackend());
      return 'wasm-simd';
    } catch {
      return 'typescript';
    }
  })();
  return loading;
}

/** Installs the fastest kernels this browser runs and reports which are in use. */
export function useKernels(): KernelsInUse {
  const [kernels, setKernels] = useState<KernelsInUse>('loading');
  useEffect(() => {
    let live = true;
    installKernels().then((k) => {
      if (live) setKernels(k);
    });
    return () => {
      live = false;
    };
  }, []);
  return kernels;
}

export const KERNEL_LABELS: Record<KernelsInUse, string> = {
  loading: 'loading kernels…',
  'wasm-simd': 'WebAssembly SIMD kernels',
  typescript: 'TypeScript kernels',
};
