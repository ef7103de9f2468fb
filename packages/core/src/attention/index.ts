export { linearAttention, type LinearAttentionOptions } from './linear-attention.js';
export { softmaxAttention, type SoftmaxAttentionOptions } from './softmax-attention.js';
export { logLinearAttention, type LogLinearAttentionOptions } from './log-linear-attention.js';
