package known

// DefaultThreshold is similarity.threshold unless the config says otherwise.
const DefaultThreshold = 50
