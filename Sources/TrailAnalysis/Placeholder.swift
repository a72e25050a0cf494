public enum TrailAnalysisPlaceholder {}
