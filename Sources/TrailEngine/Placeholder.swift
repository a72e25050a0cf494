public enum TrailEnginePlaceholder {}
