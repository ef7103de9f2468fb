/**
 * exportStateDict() gives plain JSON { shape, dtype, data } per parameter under the reference's names
 * (a PyTorch state_dict exported to JSON); loadStateDict() takes it back: a kernel survives
 * JSON.stringify/parse exactly, and weights saved from Python load as they are. A mis-shaped or
 * missing entry raises ERR_STATE_DICT (and nothing changes).
 */
import { pathToFileURL } from 'node:url';
import {
  GaussianRFFKernel,
  SpectransError,
  abs,
  liveTensorCount,
  max,
  setBackend,
  sub,
  tensor,
  tidy,
  type SerializedTensor,
} from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';

export async function main(): Promise<{
  names: string[];
  roundTripMaxDiff: number;
  pytorchFeatures: number[];
  expected: number[];
  errorCode: string;
  leaked: number;
}> {
  await setBackend(createJsBackend());
  const before = liveTensorCount();
  const original = new GaussianRFFKernel({ inputDim: 3, numFeatures: 8, seed: 7 });
  const json = JSON.stringify(await original.exportStateDict()); // e.g. written to a file
  const restored = new GaussianRFFKernel({ inputDim: 3, numFeatures: 8, seed: 99 }); // different draw...
  restored.loadStateDict(JSON.parse(json) as Record<string, SerializedTensor>); // ...replaced by the saved one
  const x = tensor([
    [0.5, -1, 2],
    [0, 0.25, 1],
  ]);
  const roundTripMaxDiff = tidy(() => max(abs(sub(original.forward(x), restored.forward(x)))).dataSync()[0]!);
  const names = Object.keys(JSON.parse(json) as object);
  console.log(
    `exported ${names.join(', ')} (${json.length} bytes of JSON); max |φ_original − φ_restored| = ${roundTripMaxDiff}`,
  );
  // As Python writes it: json.dump({k: {'shape': list(v.shape), 'dtype': 'float32', 'data': v.flatten().tolist()} ...}).
  const torchState = {
    omega: { shape: [2, 2], dtype: 'float32', data: [1, 0, 0, 2] },
    bias: { shape: [2], dtype: 'float32', data: [0, 0.5] },
  };
  const loaded = new GaussianRFFKernel({ inputDim: 2, numFeatures: 2, dtype: 'float64' }); // values convert to the kernel's dtype
  loaded.loadStateDict(torchState);
  const phi = tidy(() => loaded.forward(tensor([[0.3, -0.2]], undefined, 'float64')));
  const pytorchFeatures = Array.from(await phi.data());
  const expected = [Math.cos(0.3), Math.cos(2 * -0.2 + 0.5)]; // √(2/D)·cos(xω + b), D = 2
  console.log(
    `φ from the loaded weights: ${pytorchFeatures.map((v) => v.toFixed(6))}; √(2/D)·cos(xω + b) by hand: ${expected.map((v) => v.toFixed(6))}`,
  );
  let errorCode = 'no error';
  try {
    loaded.loadStateDict({ omega: { shape: [3, 2], dtype: 'float32', data: [1, 2, 3, 4, 5, 6] } });
  } catch (e) {
    errorCode = e instanceof SpectransError ? e.code : String(e);
    console.log(`loading a wrong state dict: ${errorCode}: ${(e as Error).message}`);
  }
  for (const owned of [original, restored, loaded, x, phi]) owned.dispose();
  return { names, roundTripMaxDiff, pytorchFeatures, expected, errorCode, leaked: liveTensorCount() - before };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
