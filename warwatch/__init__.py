"""warwatch"""
