// Package bench holds gcscope's benchmarks: front-end throughput over the
// largest real modules, and (as the engine grows) execution benchmarks
// side by side with a reference engine, reported as ratios.
package bench
