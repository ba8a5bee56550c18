package loader

import "github.com/gcscope/gcscope/engine/aot/aotfile"

// supportedFeatures are the header feature bits whose code this runtime
// can run (aotfile.Header.CheckFeatures).
const supportedFeatures = aotfile.FeatureMemory64 | aotfile.FeatureMultiMemory | aotfile.FeatureThreads |
	aotfile.FeatureSIMD | aotfile.FeatureRelaxedSIMD
